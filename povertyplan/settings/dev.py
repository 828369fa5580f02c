"""Developer laptop: `make run`. DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
