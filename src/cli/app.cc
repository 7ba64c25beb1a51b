#include "cli/app.h"

#include <cstdio>

namespace mamori::cli {

int Run(int argc, char** argv) {
  std::puts("mamori 0.1.0");
  return 0;
}

}  // namespace mamori::cli
