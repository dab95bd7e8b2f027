"""Exits with the status given on the command line."""
import sys

print("exiting with", sys.argv[1])
sys.exit(int(sys.argv[1]))
