# The live message table under load: the real ConsumerPanel fed by a pulsar-desk-proxy child process, with
# GUI-thread stalls, counts and peak RSS printed (never a timed test).
add_executable(pdesk_ui_bench ui_bench.cpp)
target_link_libraries(pdesk_ui_bench PRIVATE pdesk_ui_messages pdesk_common Qt6::Widgets Qt6::WebSockets)
pdesk_use_jemalloc(pdesk_ui_bench)
target_compile_definitions(pdesk_ui_bench PRIVATE PDESK_PROXY_BINARY="$<TARGET_FILE:pulsar-desk-proxy>")
add_dependencies(pdesk_ui_bench pulsar-desk-proxy)
