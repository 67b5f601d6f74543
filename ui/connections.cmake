# Connections: settings, secrets, the bundled local service and connection profiles.

# Core side (no Widgets): Settings, ProfileStore, SecretStore (QtKeychain), LocalService, ConnectionTest.
add_library(pdesk_settings STATIC
    ${CMAKE_SOURCE_DIR}/core/settings/settings.h ${CMAKE_SOURCE_DIR}/core/settings/settings.cpp
    ${CMAKE_SOURCE_DIR}/core/settings/profilestore.h ${CMAKE_SOURCE_DIR}/core/settings/profilestore.cpp
    ${CMAKE_SOURCE_DIR}/core/secrets/secretstore.h ${CMAKE_SOURCE_DIR}/core/secrets/secretstore.cpp
    ${CMAKE_SOURCE_DIR}/core/secrets/keychainsecretstore.h ${CMAKE_SOURCE_DIR}/core/secrets/keychainsecretstore.cpp
    ${CMAKE_SOURCE_DIR}/core/local/localservice.h ${CMAKE_SOURCE_DIR}/core/local/localservice.cpp
    ${CMAKE_SOURCE_DIR}/core/client/connectiontest.h ${CMAKE_SOURCE_DIR}/core/client/connectiontest.cpp
)
target_include_directories(pdesk_settings PUBLIC ${CMAKE_SOURCE_DIR}/core)
target_link_libraries(pdesk_settings
    PUBLIC pdesk_client pdesk_admin Qt6::Core Qt6::Network Qt6::WebSockets
    PRIVATE Qt6Keychain::Qt6Keychain pdesk_common)

# Widgets: the profile manager dialog and the local service widget.
add_library(pdesk_ui_connections STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/dialogs/profiledialog.h ${CMAKE_CURRENT_SOURCE_DIR}/dialogs/profiledialog.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/localservicewidget.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/localservicewidget.cpp
)
target_link_libraries(pdesk_ui_connections PUBLIC pdesk_ui_base pdesk_settings PRIVATE pdesk_common)
target_link_libraries(pdesk_ui INTERFACE pdesk_ui_connections)
