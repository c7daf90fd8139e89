// Nothing runs here: this target gives the searchdocs executable its release link settings (see
// Package.swift). Compiled with -static-stdlib, its import of Foundation names the static
// libraries Foundation needs (ICU data, CoreFoundation ...) for the linker.
import Foundation
