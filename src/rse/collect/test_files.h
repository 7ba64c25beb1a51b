// Test helpers for the collector sources: a temporary directory removed at the end of the test,
// and writers that append to, truncate and rename files the way loggers and logrotate do.
// Test-only; not thread-safe.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/test_temp_dir.h"

namespace mamori::rse::collect::testing {

using TempDir = mamori::testing::TempDir;

// Appends like a logger with O_APPEND (creates the file when missing).
inline void Append(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size())) << path;
  ::close(fd);
}

// Empties the file in place (same inode), as logrotate's copytruncate does.
inline void Truncate(const std::string& path) { ASSERT_EQ(::truncate(path.c_str(), 0), 0) << path; }

inline void Rename(const std::string& from, const std::string& to) {
  ASSERT_EQ(::rename(from.c_str(), to.c_str()), 0) << from << " -> " << to;
}

}  // namespace mamori::rse::collect::testing
