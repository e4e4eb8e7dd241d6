/* Cycles a CPU-second on this machine, roughly: a chain of dependent adds runs one a cycle, so the adds
 * per second of process CPU time are (at most) the clock rate the process gets. Used to turn a kernel's
 * instructions and CPU seconds into instructions a cycle (results/...-s23ckern-outcome.txt).
 *     cc -O1 -o /tmp/cycles benchmarks/flee_kernel_c/cycles.c && /tmp/cycles */
#include <stdio.h>
#include <time.h>
#include <stdint.h>
int main(void) {
    struct timespec a, b;
    uint64_t x = 1, n = 2000000000ULL;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (uint64_t i = 0; i < n; i++) { __asm__ volatile("add $1, %0" : "+r"(x)); }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
    printf("%.0f M dependent adds in %.3f s CPU: %.2f G a second (x=%lu)\n", n / 1e6, s, n / s / 1e9, (unsigned long)x);
    return 0;
}
