// Stand-in for react-devtools-core, which Ink imports only in its dev mode.
export default { initialize() {}, connectToDevTools() {} };
