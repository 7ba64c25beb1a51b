// WriteFileAtomically: replace a file's content so that readers see the old file or the new one,
// never a partial write, even across a crash or power loss.
//
// The content goes to a temporary file in the same directory (same file system, so rename() is
// atomic), is fsync'ed, renamed over `path`, and the directory is fsync'ed so the rename itself
// is durable. On any failure the temporary file is removed and the old file is left untouched.
// The new file keeps the old file's permission bits, or gets 0644 when there was none.
// Thread-safe (each call uses its own temporary file).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.h"

namespace mamori {

// Errors (kIo) name `path` and the system's reason (strerror).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

}  // namespace mamori
