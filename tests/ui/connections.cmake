# Connections: settings, profile store, secret stores, the bundled local service, connection test, profile dialog.
set(PDESK_CONNECTIONS_PROXY_LIBS pdesk_proxy PkgConfig::LIBJWT OpenSSL::Crypto)

pdesk_add_test(tst_settings ui tst_settings.cpp)
target_link_libraries(tst_settings PRIVATE pdesk_settings)

pdesk_add_test(tst_profilestore ui tst_profilestore.cpp)
target_link_libraries(tst_profilestore PRIVATE pdesk_settings)

pdesk_add_test(tst_secretstore ui tst_secretstore.cpp)
target_link_libraries(tst_secretstore PRIVATE pdesk_settings)

# The real program as a child process, as the app runs it.
pdesk_add_test(tst_localservice ui tst_localservice.cpp)
target_link_libraries(tst_localservice PRIVATE pdesk_settings Qt6::WebSockets)
add_dependencies(tst_localservice pulsar-desk-proxy)
target_compile_definitions(tst_localservice PRIVATE PDESK_PROXY_BINARY="$<TARGET_FILE:pulsar-desk-proxy>")

pdesk_add_test(tst_connectiontest ui tst_connectiontest.cpp
    ${CMAKE_SOURCE_DIR}/tests/support/proxyfixture.h ${CMAKE_SOURCE_DIR}/tests/support/jwttestutil.h)
target_link_libraries(tst_connectiontest PRIVATE pdesk_settings ${PDESK_CONNECTIONS_PROXY_LIBS})

pdesk_add_test(tst_profiledialog ui tst_profiledialog.cpp ${CMAKE_SOURCE_DIR}/tests/support/proxyfixture.h)
target_link_libraries(tst_profiledialog PRIVATE pdesk_ui_connections Qt6::Widgets ${PDESK_CONNECTIONS_PROXY_LIBS})
