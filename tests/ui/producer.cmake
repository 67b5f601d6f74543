# Producer: the payload codec, the properties and send-result models, the panel against the bundled proxy.
foreach(test tst_payloadcodec tst_propertiesmodel tst_sendresultmodel)
    pdesk_add_test(${test} ui ${test}.cpp)
    target_link_libraries(${test} PRIVATE pdesk_ui_producer)
endforeach()

pdesk_add_test(tst_producerpanel ui tst_producerpanel.cpp ${CMAKE_SOURCE_DIR}/tests/support/paneldriver.h
    ${CMAKE_SOURCE_DIR}/tests/support/proxyfixture.h)
target_link_libraries(tst_producerpanel PRIVATE pdesk_ui_producer pdesk_proxy PkgConfig::LIBJWT OpenSSL::Crypto)
