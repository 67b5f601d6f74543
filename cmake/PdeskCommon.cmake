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
