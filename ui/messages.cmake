# Messages: the live message table and its inspector, shared by the consumer and reader panels.
add_library(pdesk_ui_messages STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/models/messagetablemodel.h ${CMAKE_CURRENT_SOURCE_DIR}/models/messagetablemodel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/messageinspector.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/messageinspector.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/messagestreamview.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/messagestreamview.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/streampanel.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/streampanel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/consumerpanel.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/consumerpanel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/readerpanel.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/readerpanel.cpp
)
target_link_libraries(pdesk_ui_messages PUBLIC pdesk_ui_base PRIVATE pdesk_common)
target_link_libraries(pdesk_ui INTERFACE pdesk_ui_messages)
