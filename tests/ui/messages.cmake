# Messages: the live message table, the inspector, the consumer and reader panels against the bundled proxy.
pdesk_add_test(tst_messagetablemodel ui tst_messagetablemodel.cpp)
target_link_libraries(tst_messagetablemodel PRIVATE pdesk_ui_messages)

pdesk_add_test(tst_messageinspector ui tst_messageinspector.cpp)
target_link_libraries(tst_messageinspector PRIVATE pdesk_ui_messages)

foreach(test tst_consumerpanel tst_readerpanel)
    pdesk_add_test(${test} ui ${test}.cpp messagetestsupport.h ${CMAKE_SOURCE_DIR}/tests/support/paneldriver.h
        ${CMAKE_SOURCE_DIR}/tests/support/proxyfixture.h)
    target_link_libraries(${test} PRIVATE pdesk_ui_messages pdesk_proxy PkgConfig::LIBJWT OpenSSL::Crypto)
endforeach()
