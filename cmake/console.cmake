# The web console (console/, docs/console.md): its sources and ECharts from
# npm are copied to ${CMAKE_BINARY_DIR}/console/, which `puhui serve --console`
# serves under /console/, and installed to ${datadir}/puhui/console.
# Without node_modules (run `npm ci` at the top of the tree) the console is
# built without charts: echarts.min.js is then a stub and every chart panel
# shows only its table.
set(PH_CONSOLE_DIR "${CMAKE_BINARY_DIR}/console")
set(PH_ECHARTS_JS "${CMAKE_SOURCE_DIR}/node_modules/echarts/dist/echarts.min.js")
file(GLOB PH_CONSOLE_SOURCES CONFIGURE_DEPENDS
     "${CMAKE_SOURCE_DIR}/console/*.html" "${CMAKE_SOURCE_DIR}/console/*.js"
     "${CMAKE_SOURCE_DIR}/console/*.css")

set(PH_CONSOLE_OUTPUTS "")
foreach(src ${PH_CONSOLE_SOURCES})
  get_filename_component(name ${src} NAME)
  add_custom_command(OUTPUT "${PH_CONSOLE_DIR}/${name}"
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different "${src}" "${PH_CONSOLE_DIR}/${name}"
                     DEPENDS "${src}" COMMENT "console: ${name}" VERBATIM)
  list(APPEND PH_CONSOLE_OUTPUTS "${PH_CONSOLE_DIR}/${name}")
endforeach()

if(EXISTS "${PH_ECHARTS_JS}")
  set(PH_CONSOLE_CHARTS ON)
  add_custom_command(OUTPUT "${PH_CONSOLE_DIR}/echarts.min.js"
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different "${PH_ECHARTS_JS}" "${PH_CONSOLE_DIR}/echarts.min.js"
                     DEPENDS "${PH_ECHARTS_JS}" COMMENT "console: ECharts from node_modules" VERBATIM)
else()
  set(PH_CONSOLE_CHARTS OFF)
  message(STATUS "console: ${PH_ECHARTS_JS} is missing (run `npm ci` at the top of the tree); "
                 "the console is built without charts and browser_console is skipped")
  file(WRITE "${CMAKE_BINARY_DIR}/console-stub/echarts.min.js"
       "/* ECharts was not found when puhui was configured (npm ci); the console shows tables only. */\n")
  add_custom_command(OUTPUT "${PH_CONSOLE_DIR}/echarts.min.js"
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different "${CMAKE_BINARY_DIR}/console-stub/echarts.min.js"
                             "${PH_CONSOLE_DIR}/echarts.min.js"
                     COMMENT "console: no ECharts (stub)" VERBATIM)
endif()
list(APPEND PH_CONSOLE_OUTPUTS "${PH_CONSOLE_DIR}/echarts.min.js")
add_custom_target(console ALL DEPENDS ${PH_CONSOLE_OUTPUTS})

install(FILES ${PH_CONSOLE_OUTPUTS} DESTINATION "${CMAKE_INSTALL_DATADIR}/puhui/console")

if(PH_BUILD_TESTS)
  find_program(PH_NODE node)
  if(PH_NODE)
    # The strings: both languages, every key, no text outside console/i18n.js.
    add_test(NAME console_i18n COMMAND ${PH_NODE} --test "${CMAKE_SOURCE_DIR}/tests/browser/i18n.test.mjs")
    set_tests_properties(console_i18n PROPERTIES TIMEOUT 60)
    # The console in Debian's chromium against a real `puhui serve` on the
    # test platform (the fixture `platform`, tests/http/platform.sh).
    add_test(NAME browser_console
             COMMAND bash "${CMAKE_SOURCE_DIR}/tests/browser/run.sh" ${PH_NODE}
                     "${CMAKE_SOURCE_DIR}/tests/browser/console.test.mjs")
    set_tests_properties(browser_console PROPERTIES
      FIXTURES_REQUIRED platform
      SKIP_RETURN_CODE 77
      TIMEOUT 600
      ENVIRONMENT "PUHUI_BIN=$<TARGET_FILE:puhui>;PUHUI_TEST_PLATFORM_DIR=${CMAKE_BINARY_DIR}/tests/platform;PUHUI_CONSOLE_DIR=${PH_CONSOLE_DIR};PUHUI_OUT=${CMAKE_SOURCE_DIR}/out;PUHUI_NODE_MODULES=${CMAKE_SOURCE_DIR}/node_modules;PUHUI_CONSOLE_CHARTS=${PH_CONSOLE_CHARTS}")
  else()
    message(STATUS "console: node not found; console_i18n and browser_console are not registered")
  endif()
endif()
