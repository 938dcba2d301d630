import CocoConvertCLI

CococonvertCommand.main()
