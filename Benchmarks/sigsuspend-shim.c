// count-http.py preloads this into hero-server under valgrind 3.19 (Debian 12's), whose
// rt_sigsuspend wrapper writes to the caller's signal mask: something in the server's
// start-up passes a mask in read-only memory, and valgrind crashes on it (SIGSEGV inside
// valgrind, before the first request). Passing a copy on the stack changes nothing else.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
