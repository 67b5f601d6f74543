# Producer: the producer panel, its payload codec, properties table and send-result list.
add_library(pdesk_ui_producer STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/models/payloadcodec.h ${CMAKE_CURRENT_SOURCE_DIR}/models/payloadcodec.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/models/propertiesmodel.h ${CMAKE_CURRENT_SOURCE_DIR}/models/propertiesmodel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/models/sendresultmodel.h ${CMAKE_CURRENT_SOURCE_DIR}/models/sendresultmodel.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/widgets/producerpanel.h ${CMAKE_CURRENT_SOURCE_DIR}/widgets/producerpanel.cpp
)
target_link_libraries(pdesk_ui_producer PUBLIC pdesk_ui_base PRIVATE pdesk_common)
target_link_libraries(pdesk_ui INTERFACE pdesk_ui_producer)
