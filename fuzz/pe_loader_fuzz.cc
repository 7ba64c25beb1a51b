// LoadPe → BuildMappedImage → ApplyRelocations → ComputeHashes on arbitrary bytes: never crashes,
// never reads or writes out of bounds (ASan), and what LoadPe accepts satisfies the invariants the
// emulator relies on without re-checking (IAT slots, relocations, TLS callbacks inside the image).
//
// Seeds: with PE_LOADER_FUZZ_SEEDS=<dir> in the environment, LLVMFuzzerInitialize first writes a
// few builder-made images (x86/x64, with imports, delay-load imports, exports, relocations, TLS
// callbacks and resources) into <dir>; fuzz/run.sh does this for the corpus directory.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "malware/report/hashes.h"
#include "malware/win/pe_loader.h"
#include "malware/win/pe_mapper.h"
#include "malware/win/testing/pe_builder.h"

namespace {

using namespace mamori::malware::win;  // NOLINT: a fuzz target, not library code

// Lower than the product's limits: zero-filling a large SizeOfImage (twice) would otherwise be
// most of the time spent per input, and the parsers see the same code paths at 4 MiB.
constexpr PeLoadLimits kLimits{.max_image_size = 4u << 20, .max_imports = 4096};

void WriteSeeds(const std::string& dir) {
  int n = 0;
  auto write = [&](const testing::PeSpec& spec) {
    const auto pe = testing::BuildPe(spec);
    std::ofstream(dir + "/builder-" + std::to_string(n++) + ".exe", std::ios::binary)
        .write(reinterpret_cast<const char*>(pe.bytes.data()),
               static_cast<std::streamsize>(pe.bytes.size()));
  };
  for (PeArch arch : {PeArch::kX86, PeArch::kX64}) {
    testing::PeSpec spec;
    spec.arch = arch;
    spec.sections.push_back({".text", {0x31, 0xC0, 0xC3}, 0, testing::kCodeSection});
    write(spec);  // minimal
    spec.dll = true;
    spec.sections.push_back(
        {".data", std::vector<std::uint8_t>(64, 0x41), 0x2000, testing::kDataSection});
    spec.imports = {{"KERNEL32.dll", {{"ExitProcess"}, {"Sleep"}}},
                    {"WS2_32.dll", {{"", 23}}},
                    {"USER32.dll", {{"MessageBoxA"}, {"", 5}}, true}};
    spec.export_dll_name = "seed.dll";
    spec.exports = {{"Run", 0x1000, ""}, {"", 0x1001, ""}, {"Fwd", 0, "NTDLL.RtlExitUserThread"}};
    spec.relocations = {0x2000, 0x2008};
    spec.tls_callbacks = {0x1000};
    spec.resources = {{10, 1, u"", 0x409, {1, 2, 3}}, {16, 0, u"NAME", 0, {4}}};
    write(spec);  // everything
    spec.clr_flags = 0;
    write(spec);  // mixed-mode .NET
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("PE_LOADER_FUZZ_SEEDS")) WriteSeeds(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> file(data, size);
  const auto image = LoadPe(file, kLimits);
  if (!image) {
    if (image.error().message.empty() || PeErrorCodeName(image.error().code) == "unknown") abort();
    mamori::malware::report::ComputeHashes(file, nullptr);
    return 0;
  }
  auto mapped = BuildMappedImage(*image, file, kLimits.max_image_size);
  if (!mapped) abort();  // LoadPe already mapped this image once
  const std::size_t ptr = image->arch == PeArch::kX64 ? 8 : 4;
  for (const PeImport& imp : image->imports)
    if (imp.iat_rva > mapped->size() - ptr) abort();
  for (std::uint32_t rva : image->relocations)
    if (rva > image->size_of_image - ptr) abort();
  for (std::uint32_t rva : image->tls_callbacks)
    if (rva >= image->size_of_image) abort();
  ApplyRelocations(*mapped, *image, image->image_base + 0x10000);
  ApplyRelocations(*mapped, *image, 0);
  mamori::malware::report::ComputeHashes(file, &*image);
  return 0;
}
