# Installation: libmsopt.so, the msopt command, the headers, a CMake package
# (find_package(msopt) -> msopt::msopt) and a pkg-config file (msopt.pc).
# Every path is relative to the prefix, so `cmake --install build --prefix P`
# gives a usable tree at any P.
include(CMakePackageConfigHelpers)

install(TARGETS msopt_lib EXPORT msoptTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS msopt RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/msopt DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")

set(MSOPT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/msopt)
install(EXPORT msoptTargets NAMESPACE msopt:: DESTINATION ${MSOPT_CMAKE_DIR})
configure_package_config_file(cmake/msoptConfig.cmake.in ${PROJECT_BINARY_DIR}/msoptConfig.cmake
                              INSTALL_DESTINATION ${MSOPT_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/msoptConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/msoptConfig.cmake ${PROJECT_BINARY_DIR}/msoptConfigVersion.cmake
        DESTINATION ${MSOPT_CMAKE_DIR})

# msopt.pc: the prefix is found from the file's own place (${pcfiledir}).
set(MSOPT_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH MSOPT_PC_TO_PREFIX /prefix/${MSOPT_PC_DIR} /prefix)
string(REGEX REPLACE "/$" "" MSOPT_PC_TO_PREFIX "${MSOPT_PC_TO_PREFIX}")
configure_file(cmake/msopt.pc.in ${PROJECT_BINARY_DIR}/msopt.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/msopt.pc DESTINATION ${MSOPT_PC_DIR})
