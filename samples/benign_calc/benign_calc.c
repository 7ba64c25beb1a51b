/* benign_calc — goodware baseline: a command-line calculator. It evaluates the arithmetic
 * expression given as its argument (default "6*7+(10-4)/2") with a recursive-descent parser and
 * prints the result. No files, registry, network or other processes: a report for it should be
 * nearly empty, which is what the goodware baseline checks. */
#include <stdio.h>
#include <stdlib.h>

static const char *p; /* the parser's position */

static double expr(void);

static void skip(void) {
  while (*p == ' ') ++p;
}

static double factor(void) {
  skip();
  if (*p == '(') {
    ++p;
    double v = expr();
    skip();
    if (*p == ')') ++p;
    return v;
  }
  if (*p == '-') {
    ++p;
    return -factor();
  }
  char *end;
  double v = strtod(p, &end);
  p = end;
  return v;
}

static double term(void) {
  double v = factor();
  for (;;) {
    skip();
    if (*p == '*') ++p, v *= factor();
    else if (*p == '/') ++p, v /= factor();
    else return v;
  }
}

static double expr(void) {
  double v = term();
  for (;;) {
    skip();
    if (*p == '+') ++p, v += term();
    else if (*p == '-') ++p, v -= term();
    else return v;
  }
}

int main(int argc, char **argv) {
  p = argc > 1 ? argv[1] : "6*7+(10-4)/2";
  const char *input = p;
  double v = expr();
  printf("%s = %g\n", input, v);
  return 0;
}
