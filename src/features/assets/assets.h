/*
 * assets.h: plan 柒 and 捌: the information-system register, the asset
 * register (form 5), protection-need grading (附表九) and the 附表十
 * baseline per system.  Depends on registers, auth, rules and ui.
 */
#ifndef ISMS_FEATURES_ASSETS_ASSETS_H
#define ISMS_FEATURES_ASSETS_ASSETS_H

#include "http/route.h"
#include "registers/register.h"

extern const struct reg reg_system;
extern const struct reg reg_asset;

#endif
