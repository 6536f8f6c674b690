//! User namespace mapping and the helper process that works inside it.

/// First argument that turns the lodger binary into the userns helper.
pub const HELPER_ARG: &str = "__userns-helper";

/// Entry point of the helper process (stub until implemented).
pub fn helper_main(_args: &[String]) -> i32 {
    125
}
