# Browser: the lazily loaded topic tree with its filter and context menu, the create-topic dialog, and the stats
# pane of the selected topic, all over core/admin's AdminClient.
add_library(pdesk_ui_browser STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/models/topictreemodel.h ${CMAKE_CURRENT_SOURCE_DIR}/models/topictreemodel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/models/topicfiltermodel.h ${CMAKE_CURRENT_SOURCE_DIR}/models/topicfiltermodel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/dialogs/createtopicdialog.h ${CMAKE_CURRENT_SOURCE_DIR}/dialogs/createtopicdialog.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/topicbrowser.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/topicbrowser.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/statspane.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/statspane.cpp
)
target_link_libraries(pdesk_ui_browser PUBLIC pdesk_ui_base pdesk_admin PRIVATE pdesk_common)
target_link_libraries(pdesk_ui INTERFACE pdesk_ui_browser)
