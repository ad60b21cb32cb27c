//! The rule registry: the one place a rule is added.

use super::Rule;

macro_rules! registry {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every rule, in code order.
        pub fn all() -> &'static [&'static Rule] {
            static ALL: &[&Rule] = &[$(&$module::$rule),*];
            ALL
        }
    };
}

registry! {}
