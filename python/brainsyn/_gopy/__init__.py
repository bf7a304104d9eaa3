# placeholder; the build copies gopy's outputs here
