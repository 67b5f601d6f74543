# One INTERFACE target carries the project-wide language standard, warnings and strict Qt defines.
# Every target of the project links it; nothing else sets flags globally.
add_library(pdesk_common INTERFACE)
target_compile_features(pdesk_common INTERFACE cxx_std_17)
target_compile_definitions(pdesk_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)
target_compile_options(pdesk_common INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(PDESK_WERROR)
    target_compile_options(pdesk_common INTERFACE -Werror)
endif()
if(PDESK_SANITIZE)
    target_compile_options(pdesk_common INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    target_link_options(pdesk_common INTERFACE -fsanitize=address,undefined)
endif()

# jemalloc in the programs (the proxy, the desktop app and the bench tools), never in the libraries: a program that
# keeps hundreds of thousands of small buffers alive (the store's read cache, messages in flight) and frees them in
# FIFO order spends a quarter of its time in glibc's malloc. jemalloc halves the proxy's CPU per message (see
# docs/architecture.md, "Memory allocator"). Sanitizer and fuzzer builds keep their own allocator.
option(PDESK_JEMALLOC "Link the programs with jemalloc" ON)
if(PDESK_SANITIZE OR PDESK_FUZZ)
    set(PDESK_JEMALLOC OFF)
endif()
if(PDESK_JEMALLOC)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

# Replaces malloc/free for the whole process. The program itself calls neither (Qt and libstdc++ do), so the link
# must keep jemalloc even under Debian's default --as-needed.
function(pdesk_use_jemalloc target)
    if(PDESK_JEMALLOC)
        target_link_libraries(${target} PRIVATE "-Wl,--push-state,--no-as-needed" PkgConfig::JEMALLOC
            "-Wl,--pop-state")
    endif()
endfunction()
