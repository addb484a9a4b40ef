//! php.ini and .user.ini (issue 10). [`settings`] is the hand-over point for every format that
//! sets PHP settings (Apache's `php_*` directives, issue 11).

pub mod settings;
