# What libauralflow links, in one place: the build (CMakeLists.txt) finds it with this file, and
# so does a project that uses the installed package (auralflow-config.cmake includes the copy
# installed next to it). There auralflow_find_dependency is CMake's find_dependency, so a
# missing package makes find_package(auralflow) fail naming it; in the build it is a REQUIRED
# find_package.
include(CMakeFindDependencyMacro)
macro(auralflow_find_dependency)
  if(CMAKE_FIND_PACKAGE_NAME STREQUAL "auralflow")
    find_dependency(${ARGN})
  else()
    find_package(${ARGN} REQUIRED)
  endif()
endmacro()

auralflow_find_dependency(Torch)
auralflow_find_dependency(nlohmann_json 3)
auralflow_find_dependency(Protobuf)  # TensorBoard event files (proto/*.proto)
auralflow_find_dependency(CURL)      # auralflow pretrained fetch
auralflow_find_dependency(OpenSSL)   # SHA-256 of downloaded models
auralflow_find_dependency(PkgConfig)
# pkg-config modules, as the imported targets PkgConfig::<prefix> that libauralflow links.
macro(auralflow_pkg_config_target prefix)
  if(NOT TARGET PkgConfig::${prefix})
    pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${ARGN})
  endif()
endmacro()
auralflow_pkg_config_target(SNDFILE sndfile)
auralflow_pkg_config_target(SOXR soxr)
auralflow_pkg_config_target(FFMPEG libavformat libavcodec libavutil libswresample)
auralflow_pkg_config_target(PNG libpng)
