# The profile behind DLSTUDY_PERTURB=1: keep no history database in the repository.
c = get_config()  # noqa: F821
c.HistoryManager.enabled = False
