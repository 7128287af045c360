//! Messages on stderr that never panic: a closed stderr (`2>&1 | head -c
//! 10`) loses the message, not the exit code the command was about to
//! give.

/// `eprintln!` that never panics: a closed stderr (`2>&1 | head -c 10`)
/// loses the message, not the exit code the command was about to give.
macro_rules! warnln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use warnln;

/// `eprint!` that never panics (see [`warnln`]).
macro_rules! warn_on {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut err = std::io::stderr();
        let _ = write!(err, $($arg)*).and_then(|()| err.flush());
    }};
}
pub(crate) use warn_on;
