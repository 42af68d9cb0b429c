//! How many bytes the page's heap holds, so a run can stop before the
//! browser's limit on a page's WebAssembly memory (at most 4 GB; the page
//! dies when an allocation fails past it). The system allocator, counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Heap bytes at which the page stops taking more (a run's clock stops;
/// live mode stops receiving): a page's WebAssembly memory ends at 4 GB at
/// most, and the page dies when an allocation fails there. A file with
/// 10,000 partitions, a producer of 1,000 records a second and 200
/// cooperative consumers joining 10 ms apart (a rebalance every 10 ms) took
/// 1.2 GB a virtual second, and the page died at 2.9 s.
pub const MEMORY_LIMIT: u64 = 1 << 30;

struct Counted;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter only adds and subtracts the sizes it was given.
unsafe impl GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counted = Counted;

/// Bytes allocated and not yet freed.
pub fn live_bytes() -> u64 {
    LIVE_BYTES.load(Ordering::Relaxed) as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_what_is_held() {
        // Other tests allocate and free at the same time, so only a lower
        // bound holds: at least what this one holds.
        let held = vec![1u8; 256 << 20];
        assert!(super::live_bytes() >= 256 << 20);
        drop(held);
    }
}
