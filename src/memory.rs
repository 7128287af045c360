//! How the process gives memory back to the system.
//!
//! A search at a million customers makes lists of a few megabytes for a
//! keystroke and frees them at the next. glibc's allocator serves such
//! sizes from its own heaps after the first ones are freed (its mapping
//! threshold rises with them) and keeps what is freed there, so the
//! process's memory creeps up by the largest lists it has made. Setting
//! the thresholds fixes that: every buffer of 256 KiB or more is mapped on
//! its own and unmapped when freed, and the heap's free top is given back
//! past 1 MiB. (The cost, fresh pages for each such buffer, is within the
//! benchmark's keystroke figures.)

/// Sets the allocator's thresholds (see the module); the first thing the
/// process does, before any thread starts. Nothing on other allocators.
pub fn give_back_freed_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes two thresholds of glibc's allocator;
    // called before the process starts any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}
