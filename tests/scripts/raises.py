"""Raises an error that has nothing to do with gradients."""
import sys

print("argv", sys.argv[1:])


def parse(value):
    return int(value)


parse("not a number")
