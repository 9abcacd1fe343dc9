"""One module per command or group: parse arguments, call the library, render, pick the exit code.
A command imports cli.context, cli.options, cli.output, cli.send, render and the library, never another command.
"""
