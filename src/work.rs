//! A count of the work done, for tests that double an input and check that the work at most
//! about doubles (no superlinear case): counted where a loop could become quadratic, in test
//! builds only; a no-op otherwise.

#[cfg(test)]
thread_local! {
    static DONE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` units of work (bytes scanned, candidates compared) on this thread.
#[inline(always)]
pub(crate) fn add(n: usize) {
    #[cfg(test)]
    DONE.with(|d| d.set(d.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

/// The work `f` did, its parallel parts included: it runs in a rayon pool of one thread, so
/// that every `par_iter` inside it counts on that thread (and tests running at the same time
/// do not count into it).
#[cfg(test)]
pub(crate) fn of<T: Send>(f: impl FnOnce() -> T + Send) -> (u64, T) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a rayon pool of one thread");
    pool.install(|| {
        let before = DONE.with(|d| d.get());
        let out = f();
        (DONE.with(|d| d.get()) - before, out)
    })
}

/// Runs `make(n)` through `run` at two sizes and fails when doubling the size more than
/// `2.5×` the work: the test of every linear-time guarantee.
#[cfg(test)]
pub(crate) fn assert_linear<I: Sync>(
    what: &str,
    n: usize,
    make: impl Fn(usize) -> I,
    run: impl Fn(&I) + Sync,
) {
    let small_input = make(n);
    let large_input = make(2 * n);
    let (small, ()) = of(|| run(&small_input));
    let (large, ()) = of(|| run(&large_input));
    assert!(small > 0, "{what}: no work counted");
    assert!(
        large * 2 <= small * 5,
        "{what}: doubling the input took {small} → {large} units of work"
    );
}
