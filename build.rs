//! Link the lodger binary as a position-dependent executable.
//!
//! Every detached container keeps a monitor (this binary re-executed) alive; in a PIE the
//! dynamic loader relocates hundreds of kilobytes of read-only data in each process, which
//! become private pages. Linked without PIE those pages stay shared with the file, which
//! keeps the monitor's private memory well under a megabyte.
fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
