# Warnings for our own targets only (LibTorch headers are included as SYSTEM).
function(auralflow_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()

# Reuse libauralflow's precompiled torch header (compiled once per build).
function(auralflow_use_pch target)
  target_precompile_headers(${target} REUSE_FROM auralflow)
endfunction()
