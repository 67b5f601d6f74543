# Browser: the topic tree model, the topic browser and the stats pane against the bundled proxy in-process.
foreach(test tst_topictreemodel tst_topicbrowser tst_statspane)
    pdesk_add_test(${test} ui ${test}.cpp browsertestsupport.h ${CMAKE_SOURCE_DIR}/tests/support/proxyfixture.h)
    target_link_libraries(${test} PRIVATE pdesk_ui_browser pdesk_proxy PkgConfig::LIBJWT OpenSSL::Crypto
        Qt6::WebSockets)
endforeach()
