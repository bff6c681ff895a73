# `cmake --install build --prefix <prefix>` installs libauralflow for other CMake projects:
#   <prefix>/include/auralflow/...                    the public headers
#   <prefix>/lib/libauralflow.a (and its protobuf part)
#   <prefix>/lib/cmake/auralflow/                     the package: config, version, targets
# so that a project builds against it with
#   find_package(auralflow 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE auralflow::auralflow)
# (examples/installed is such a project; a test builds it against a fresh install).
include(CMakePackageConfigHelpers)

set(AURALFLOW_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/auralflow)

# libauralflow is static, so its private dependencies (the protobuf messages, libsndfile, ...)
# are linked by the projects that use it: they are installed and exported with it.
install(TARGETS auralflow auralflow_tensorboard_proto EXPORT auralflow-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/auralflow DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT auralflow-targets NAMESPACE auralflow:: DESTINATION ${AURALFLOW_PACKAGE_DIR})

configure_package_config_file(cmake/auralflow-config.cmake.in
  ${PROJECT_BINARY_DIR}/auralflow-config.cmake
  INSTALL_DESTINATION ${AURALFLOW_PACKAGE_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/auralflow-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/auralflow-config.cmake
              ${PROJECT_BINARY_DIR}/auralflow-config-version.cmake
              cmake/auralflow-dependencies.cmake
  DESTINATION ${AURALFLOW_PACKAGE_DIR})
