# The test Examples.InstalledPackage (cmake -P, variables from examples/CMakeLists.txt):
# installs the build at BINARY_DIR into WORK_DIR/prefix, builds the project examples/installed
# (SOURCE_DIR) against that install alone and runs its program.
file(REMOVE_RECURSE ${WORK_DIR})

# Runs a command; a failure ends the test with the command and its output.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix)
if(NOT EXISTS ${WORK_DIR}/prefix/include/auralflow/separator.hpp)
  message(FATAL_ERROR "the public headers were not installed:\n${output}")
endif()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
# The package must come from the install, not from the build tree.
file(STRINGS ${WORK_DIR}/build/CMakeCache.txt package_dir REGEX "^auralflow_DIR:")
string(FIND "${package_dir}" "${WORK_DIR}/prefix/" at)
if(at EQUAL -1)
  message(FATAL_ERROR "find_package(auralflow) did not use the install: ${package_dir}")
endif()
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)

# The program checks its own result: a nonzero exit fails the test.
run(${WORK_DIR}/build/mask_spectrogram)
message("${output}")
