// The library's one name for those who use all of it (the executable, redline-eval, a package
// that depends on redline): every layer, re-exported. The layers themselves are the targets
// beside this one, each importing only the layers below it (docs/layout.md).
@_exported import RedlineModel
@_exported import RedlineJSON
@_exported import RedlineInput
@_exported import RedlinePolicy
@_exported import RedlineHistory
@_exported import RedlineVerdict
@_exported import RedlineBaseline
@_exported import RedlineReport
