/* The program that scripts/real-tools/valgrind.sh runs under callgrind and cachegrind. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 20;
    printf("%lu\n", fib(n));
    return 0;
}
