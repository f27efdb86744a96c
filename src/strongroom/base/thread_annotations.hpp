#pragma once

// Clang thread-safety analysis (-Wthread-safety); no-ops for other compilers.
#if defined(__clang__)
#define SR_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SR_THREAD_ANNOTATION(x)
#endif

#define SR_CAPABILITY(x) SR_THREAD_ANNOTATION(capability(x))
#define SR_SCOPED_CAPABILITY SR_THREAD_ANNOTATION(scoped_lockable)
#define SR_GUARDED_BY(x) SR_THREAD_ANNOTATION(guarded_by(x))
#define SR_PT_GUARDED_BY(x) SR_THREAD_ANNOTATION(pt_guarded_by(x))
#define SR_REQUIRES(...) SR_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define SR_ACQUIRE(...) SR_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define SR_RELEASE(...) SR_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define SR_EXCLUDES(...) SR_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define SR_ASSERT_HELD(x) SR_THREAD_ANNOTATION(assert_capability(x))
#define SR_NO_THREAD_SAFETY_ANALYSIS SR_THREAD_ANNOTATION(no_thread_safety_analysis)
