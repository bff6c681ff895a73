# Generates ${output} defining auralflow::detail::config_template_texts() from
# every configs/*.json, so the binary needs no data files at run time.
function(auralflow_embed_config_templates output)
  file(GLOB templates ${PROJECT_SOURCE_DIR}/configs/*.json)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${templates})
  set(entries "")
  foreach(template ${templates})
    get_filename_component(name ${template} NAME_WE)
    file(READ ${template} text)
    string(APPEND entries "      {\"${name}\", R\"auralflow_json(${text})auralflow_json\"},\n")
  endforeach()
  file(CONFIGURE OUTPUT ${output} CONTENT
"// Generated from configs/*.json by cmake/EmbedConfigTemplates.cmake; do not edit.
#include \"config/templates.hpp\"

namespace auralflow::detail {

const std::map<std::string, std::string>& config_template_texts() {
  static const std::map<std::string, std::string> texts{
${entries}  };
  return texts;
}

}  // namespace auralflow::detail
")
endfunction()
