// Buffered output files for the domain world writers; see output.h.
#include "domain/sim/internal/output.h"

#include <cerrno>
#include <cstring>

namespace mamori::domain::sim::internal {

Expected<std::unique_ptr<OutFile>> OutFile::Open(OutputDir& dir, const std::string& relative) {
  std::filesystem::path path = dir.root / relative;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return MakeError(ErrorCode::kIo, ec.message(), path.parent_path().string());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return MakeError(ErrorCode::kIo, std::strerror(errno), path.string());
  return std::unique_ptr<OutFile>(new OutFile(dir, relative, f));
}

OutFile::OutFile(OutputDir& dir, std::string relative, FILE* file)
    : dir_(dir), relative_(std::move(relative)), file_(file), buffer_(new char[1 << 20]) {
  std::setvbuf(file_, buffer_.get(), _IOFBF, 1 << 20);
}

OutFile::~OutFile() {
  if (file_ != nullptr) std::fclose(file_);
}

Status OutFile::Close() {
  long size = std::ftell(file_);
  bool failed = std::ferror(file_) != 0;
  failed |= std::fclose(file_) != 0;
  file_ = nullptr;
  if (failed) {
    return MakeError(ErrorCode::kIo, "write failed (disk full?)", (dir_.root / relative_).string());
  }
  dir_.files.push_back(relative_);
  if (size > 0) dir_.bytes += static_cast<uint64_t>(size);
  return Ok();
}

}  // namespace mamori::domain::sim::internal
