"""Prints how it was run: what `python SCRIPT ARGS` guarantees."""
import os
import sys

print("name", __name__)
print("argv", sys.argv)
print("path0", sys.path[0])
print("tensorflow imported", "tensorflow" in sys.modules)
if __name__ == "__main__":
    print("main block ran")
