// Test helper (GoogleTest tests only): rules compiled from YAML text, and the times tests use.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "rse/detect/matcher.h"
#include "rse/detect/rule.h"

namespace mamori::rse::detect {

inline constexpr ingest::UnixMicros kTestSecond = 1'000'000;
inline constexpr ingest::UnixMicros kTestT0 = 1'700'000'000 * kTestSecond;

// Rules from YAML text that must load (a load error is reported as a test failure).
inline std::shared_ptr<const RuleSet> CompileTestRules(std::string_view yaml) {
  LoadResult r = ParseRules(yaml, "test.yml");
  if (!r.errors.empty()) ADD_FAILURE() << r.errors[0].ToString();
  return *RuleSet::Compile(std::move(r.rules));
}

}  // namespace mamori::rse::detect
