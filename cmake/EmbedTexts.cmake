# mamori_embed_texts(TARGET <lib> DIR <data dir> GLOBS <patterns…> HEADER <include path>
#                    NAMESPACE <ns> FUNCTION <name> [KEEP_EXT])
# Embeds the files of DIR matching GLOBS into TARGET at build time (cmake/embed_named_texts.cmake):
# HEADER must declare, in NAMESPACE,
#   const std::vector<std::pair<std::string_view, std::string_view>>& FUNCTION();
# which returns (name, text) pairs in file name order; a name is the file name without its
# extension unless KEEP_EXT. The files are globbed with CONFIGURE_DEPENDS, so adding one
# regenerates the build.
function(mamori_embed_texts)
  cmake_parse_arguments(E "KEEP_EXT" "TARGET;DIR;HEADER;NAMESPACE;FUNCTION" "GLOBS" ${ARGN})
  set(patterns "")
  foreach(glob ${E_GLOBS})
    list(APPEND patterns ${E_DIR}/${glob})
  endforeach()
  file(GLOB inputs CONFIGURE_DEPENDS ${patterns})
  string(REPLACE "::" "_" stem "${E_NAMESPACE}_${E_FUNCTION}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${stem}_embedded.cc)
  string(REPLACE ";" "|" globs_arg "${E_GLOBS}")  # one command-line argument
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDIR=${E_DIR} -DGLOBS=${globs_arg}
            -DKEEP_EXT=${E_KEEP_EXT} -DHEADER=${E_HEADER} -DNAMESPACE=${E_NAMESPACE}
            -DFUNCTION=${E_FUNCTION} -P ${PROJECT_SOURCE_DIR}/cmake/embed_named_texts.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_named_texts.cmake
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${out})
endfunction()
