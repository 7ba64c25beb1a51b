#include "cli/app.h"

int main(int argc, char** argv) { return mamori::cli::Run(argc, argv); }
