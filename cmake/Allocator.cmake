# The memory allocator of Auralflow's programs (not of the library: a library leaves the
# allocator to the program that links it).
#
# glibc's malloc serves every block over 32 MB (its largest mmap threshold) with a fresh mmap
# and unmaps it on free, so each large tensor (a batch's activations: 68 MB for one
# SpectrogramNetSimple feature map at batch 8) costs page faults and the kernel zeroing its
# pages, every time. A training step of the default SpectrogramNetSimple spent about 3/4 of
# its CPU time in the kernel that way. tcmalloc (gperftools, Debian's
# libgoogle-perftools-dev) keeps freed memory for reuse: the step took 3.7 s instead of 7.5 s
# on the development machine (bench/README.md).
find_library(AURALFLOW_TCMALLOC NAMES tcmalloc_minimal REQUIRED)

# Links tcmalloc into the executable `target` so that it replaces malloc for the whole
# process (LibTorch's allocations included). --no-as-needed keeps the link even though no
# symbol of the program names it.
function(auralflow_use_tcmalloc target)
  target_link_libraries(${target} PRIVATE -Wl,--no-as-needed ${AURALFLOW_TCMALLOC} -Wl,--as-needed)
endfunction()
