"""What a page shows follows the roles of the account: a clerk (staff)
sees the plan's registers but no write buttons and none of the asset
area's registers; an officer sees the write buttons.  The router refuses
the writes either way (test_access.py); this checks that the pages do not
offer what the account cannot do."""

import harness
from harness import ServedTestCase


class StaffPagesTest(ServedTestCase):
    user = "clerk1"
    roles = ("staff",)

    def test_list_without_write_buttons(self):
        """The business list of a staff account has export but no 新增 or 匯入."""
        r = self.c.get("/r/business")
        self.assertEqual(r.status, 200)
        self.assertContains('/r/business/export.csv', r.text)
        self.assertNotContains('href="/r/business/new"', r.text)
        self.assertNotContains('href="/r/business/import"', r.text)

    def test_record_without_edit_or_archive(self):
        """A record page of a staff account has no 編輯 link and no archive form."""
        r = self.c.get("/r/business/1")
        self.assertEqual(r.status, 200)
        self.assertNotContains('/r/business/1/edit', r.text)
        self.assertNotContains('/r/business/1/archive', r.text)

    def test_navigation_and_home_hide_unreadable_registers(self):
        """pw_exception (asset area) is neither in the navigation nor on the home page."""
        r = self.c.get("/")
        self.assertEqual(r.status, 200)
        self.assertContains('href="/r/business"', r.text)
        self.assertNotContains('/r/pw_exception', r.text)
        self.assertNotContains('/admin/users', r.text)
        self.assertEqual(self.c.get("/r/pw_exception").status, 403)


class ReturnAfterSignInTest(ServedTestCase):
    user = "clerk2"
    roles = ("staff",)

    def test_next_keeps_the_query(self):
        """A bookmarked search survives the sign-in: next keeps the query."""
        c = self.anonymous()
        r = c.get("/r/business?q=%E5%85%AC%E6%96%87&f_is_core=1")
        self.assertEqual(r.status, 303)
        loc = r.header("Location")
        self.assertEqual(loc, "/login?next=%2Fr%2Fbusiness%3Fq%3D%25E5%2585%25AC"
                              "%25E6%2596%2587%26f_is_core%3D1")
        c.page(loc)
        m = harness.re.search(r'action="/login".*?name="next" value="([^"]*)"',
                              c.get(loc).text, harness.re.S)
        r = c.post_form("/login", {"login": self.user, "password": type(self).password,
                                   "next": m.group(1).replace("&amp;", "&")})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"),
                         "/r/business?q=%E5%85%AC%E6%96%87&f_is_core=1")

    def test_home_says_why_a_chapter_is_empty(self):
        """Chapter 9's register is not readable by staff: the home page says so."""
        r = self.c.get("/")
        self.assertContains("您的角色無權檢視本章的登錄簿", r.text)


class OfficerPagesTest(ServedTestCase):
    user = "officer9"
    roles = ("officer",)

    def test_write_buttons_shown(self):
        """An officer gets 新增, 匯入, 編輯 and 封存."""
        r = self.c.get("/r/business")
        self.assertContains('href="/r/business/new"', r.text)
        self.assertContains('href="/r/business/import"', r.text)
        r = self.c.get("/r/business/1")
        self.assertContains('/r/business/1/edit', r.text)
        self.assertContains('/r/business/1/archive', r.text)
        r = self.c.get("/")
        self.assertContains('/r/pw_exception', r.text)
        self.assertContains('/admin/audit', r.text)
        self.assertNotContains('/admin/users', r.text)


if __name__ == "__main__":
    harness.main()
