# Cross-compiles for linux-aarch64 with Debian's gcc-aarch64-linux-gnu; ctest runs the C tests
# under qemu-user, with the aarch64 glibc the cross compiler links against.
# usage: cmake -DCMAKE_TOOLCHAIN_FILE=native/cmake/aarch64-linux-gnu.cmake ...
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

find_program(JEPOLL_QEMU_AARCH64 qemu-aarch64)
if(JEPOLL_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${JEPOLL_QEMU_AARCH64} -L ${CMAKE_FIND_ROOT_PATH})
endif()
