/* Preloaded (LD_PRELOAD) by scripts/sanitize.sh and scripts/fuzz.sh:
 * dlclose() does nothing, so the plugins OpenMPI, PMIx and hwloc unload in
 * MPI_Finalize stay mapped and LeakSanitizer can name them when it reports
 * at exit; fuzz/lsan.supp then suppresses their leaks by module name.
 * (OpenMPI 4.1 has no mca_base_component_disable_dlclose.) */
int dlclose(void* handle) {
  (void)handle;
  return 0;
}
