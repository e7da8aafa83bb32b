#!/bin/sh
# checkformat.sh: every tracked C file is as clang-format (.clang-format)
# writes it.  Fix with: clang-format -i FILE
set -u
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
clang-format --dry-run --Werror $files
